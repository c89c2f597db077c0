// Where the regions are, for telling which one a shared location is in. There is no boundary data
// in the project (nor a network to fetch it from), so a region is approximated by its towns: the
// region of the nearest town is the guess, a Voronoi map of the country (src/domain/geo.ts).
//
// Source and accuracy: written from general geographic knowledge of Kazakhstan, not copied from a
// map, and spot-checked against public gazetteer coordinates. Coordinates are rounded to 0.01°
// (about 1 km); most are within ~5 km of the town, the few marked "approx." within ~20 km, which
// matters little because they stand for a district, not a street. Regions as in force since
// 8 June 2022 (Abai, Zhetysu and Ulytau split off; Zharma and Kokpekti districts went to Abai,
// Zhanaarka to Ulytau, Balkhash, Priozersk and Aktogay district stayed with Karaganda). Baikonur,
// leased to Russia, counts as Kyzylorda Region, which surrounds it.
//
// What is listed: every city of regional significance and almost every district centre, plus
// towns that fix a border the centres alone would draw badly (the shores of Lake Balkhash, the
// Pavlodar–Abai stretch of the Irtysh), the suburbs just outside Astana and Shymkent (Kosshy,
// Sayram, from gazetteer coordinates) and Boraldai by Almaty. Where a district is huge and its
// only centre sits in a corner (Nura, 46 thousand km²; Ulytau, Zhanaarka, Shet, Karkaraly, the Ili
// delta of Balkhash district), a few points inside the district stand in for villages whose
// coordinates could not be recalled reliably: they are marked "not towns" and named after their
// district. They were placed, and the result checked on a 0.1° grid, against the district
// outlines of geoBoundaries ADM2 (district lines there match the 2022 ones for these districts):
// before them 74% of Nura district fell to Akmola, Ulytau or Kostanay, after them 4%.
// Left out: district centres whose coordinates could not be recalled reliably (Aksukent,
// Abay in Keles district, Koktobe in Mai district, Karauylkeldy, Ubagan, Ayet, Kasym Kaysenov,
// Akzhar in Tarbagatai district) and Astana's suburbs Talapker and Koyandy; their districts are
// covered by neighbouring towns of the same region, so a point there is still mostly right.

import type { RegionKey } from './regions.js';

/** The three cities of republican significance: never a town's region, decided by their limits. */
export type CityKey = 'astana' | 'almaty' | 'shymkent';
export type OblastKey = Exclude<RegionKey, CityKey>;

export interface Town {
  name: string;
  latitude: number;
  longitude: number;
  region: OblastKey;
}

/** [name, latitude, longitude] */
type Row = readonly [string, number, number];

const BY_REGION: Readonly<Record<OblastKey, readonly Row[]>> = {
  akmola: [
    ['Kokshetau', 53.28, 69.39],
    ['Stepnogorsk', 52.35, 71.88],
    ['Akkol', 51.99, 70.95],
    ['Arshaly', 50.84, 72.17], // approx.
    ['Astrakhanka', 51.53, 69.8],
    ['Atbasar', 51.81, 68.36],
    ['Stepnyak', 52.83, 70.79],
    ['Makinsk', 52.63, 70.42],
    ['Shchuchinsk', 52.94, 70.19],
    ['Egindykol', 51.05, 69.48],
    ['Ereymentau', 51.62, 73.1],
    ['Esil', 51.96, 66.41],
    ['Krasnogorsky', 52.25, 66.52],
    ['Zhaksy', 51.91, 67.32],
    ['Derzhavinsk', 51.1, 66.32],
    ['Zerendi', 52.9, 69.13], // approx.
    ['Korgalzhyn', 50.59, 70.01], // approx.
    ['Balkashino', 52.52, 68.75],
    ['Akmol', 51.07, 70.98], // district centre (Tselinograd), gazetteer 51°04'23"N 70°58'45"E
    // Astana's southern suburb, 2-3 km past the city limits (town since 2021); gazetteer,
    // 50°58'33"N 71°21'14"E.
    ['Kosshy', 50.98, 71.35],
    ['Shortandy', 51.7, 70.99],
    ['Zholymbet', 51.74, 71.71],
  ],
  'north-kazakhstan': [
    ['Petropavl', 54.87, 69.15],
    ['Saumalkol', 53.29, 68.11],
    ['Smirnovo', 54.51, 69.43],
    ['Talshik', 53.64, 71.87],
    ['Yavlenka', 54.35, 68.46],
    ['Presnovka', 54.67, 67.15], // approx.
    ['Bulaevo', 54.91, 70.44],
    ['Beskol', 54.78, 69.1],
    ['Mamlyutka', 54.94, 68.54],
    ['Novoishimsky', 53.2, 66.77],
    ['Taiynsha', 53.85, 69.77],
    ['Timiryazevo', 53.75, 66.49],
    ['Kishkenekol', 53.64, 72.34],
    ['Sergeevka', 53.88, 67.41],
  ],
  kostanay: [
    ['Kostanay', 53.21, 63.62],
    ['Rudny', 52.97, 63.12],
    ['Lisakovsk', 52.55, 62.5],
    ['Arkalyk', 50.25, 66.92],
    ['Zhitikara', 52.19, 61.2],
    ['Amangeldi', 50.19, 65.2], // approx.
    ['Auliekol', 52.37, 64.12], // approx.
    ['Kushmurun', 52.45, 64.62],
    ['Denisovka', 52.45, 61.75],
    ['Torgay', 49.63, 63.5],
    ['Kamysty', 51.55, 62.32], // approx.
    ['Karabalyk', 53.75, 62.06],
    ['Fedorovka', 53.64, 62.7],
    ['Karasu', 52.66, 65.48],
    ['Borovskoy', 53.79, 64.18],
    ['Karamendy', 51.62, 64.26], // approx.
    ['Sarykol', 53.32, 65.55], // approx.
    ['Uzunkol', 54.0, 65.32], // approx.
    ['Tobol', 52.69, 62.59],
    ['Kachar', 53.37, 62.87],
  ],
  aktobe: [
    ['Aktobe', 50.28, 57.17],
    ['Kandyagash', 49.47, 57.42],
    ['Emba', 48.83, 58.15],
    ['Khromtau', 50.25, 58.44],
    ['Alga', 49.9, 57.34],
    ['Shalkar', 47.83, 59.6],
    ['Temir', 49.14, 57.13],
    ['Shubarkuduk', 49.14, 56.48],
    ['Karabutak', 49.95, 60.1], // approx.
    ['Irgiz', 48.62, 61.27],
    ['Badamsha', 50.56, 58.28],
    ['Martuk', 50.75, 56.51],
    ['Uil', 49.07, 54.68], // approx.
    ['Kobda', 50.15, 55.65], // approx.
  ],
  'west-kazakhstan': [
    ['Oral', 51.23, 51.37],
    ['Aksai', 51.17, 53.0],
    ['Chapaev', 50.2, 51.17],
    ['Peremetnoe', 51.2, 50.86],
    ['Saykhin', 48.86, 46.83],
    ['Zhanybek', 49.42, 46.85],
    ['Zhangala', 49.22, 50.3], // approx.
    ['Karatobe', 49.69, 53.52], // approx.
    ['Kaztalovka', 49.77, 48.69],
    ['Zhympity', 50.26, 52.6],
    ['Taskala', 51.11, 50.29],
    ['Fedorovka', 51.22, 51.96],
    ['Shyngyrlau', 51.1, 54.08],
  ],
  atyrau: [
    ['Atyrau', 47.11, 51.92],
    ['Kulsary', 46.95, 54.02],
    ['Inderbor', 48.55, 51.78],
    ['Akkystau', 47.25, 51.03], // approx.
    ['Ganyushkino', 46.6, 49.27],
    ['Miyaly', 48.89, 53.79],
    ['Makat', 47.65, 53.32],
    ['Makhambet', 47.67, 51.58],
  ],
  mangystau: [
    ['Aktau', 43.65, 51.17],
    ['Zhanaozen', 43.34, 52.86],
    ['Fort-Shevchenko', 44.51, 50.26],
    ['Beyneu', 45.32, 55.2],
    ['Shetpe', 44.17, 52.12],
    ['Kuryk', 43.18, 51.68],
    ['Sai-Utes', 44.33, 53.53],
  ],
  kyzylorda: [
    ['Kyzylorda', 44.85, 65.51],
    ['Baikonur', 45.62, 63.32],
    ['Aralsk', 46.8, 61.67],
    ['Ayteke Bi', 45.85, 62.15],
    ['Zhosaly', 45.49, 64.08],
    ['Zhalagash', 45.08, 64.67],
    ['Terenozek', 45.05, 64.98],
    ['Shieli', 44.17, 66.74],
    ['Zhanakorgan', 43.91, 67.25],
  ],
  turkistan: [
    ['Turkistan', 43.3, 68.25],
    ['Kentau', 43.52, 68.5],
    ['Arys', 42.43, 68.81],
    ['Saryagash', 41.46, 69.17],
    ['Lenger', 42.18, 69.89],
    ['Zhetysay', 40.78, 68.33], // approx.
    ['Shardara', 41.26, 67.97],
    ['Shayan', 43.03, 69.38],
    ['Kazygurt', 41.76, 69.38],
    ['Myrzakent', 40.66, 68.55],
    ['Temirlan', 42.6, 69.26],
    ['Shauildir', 42.78, 68.36], // approx.
    ['Sholakkorgan', 43.76, 69.18],
    ['Turar Ryskulov', 42.53, 70.35],
    // Just east of Shymkent's limits (which end at 69.72°E), Sayram district; within ~2 km.
    ['Sayram', 42.3, 69.77], // approx.
  ],
  zhambyl: [
    ['Taraz', 42.9, 71.37],
    ['Karatau', 43.18, 70.47],
    ['Zhanatas', 43.56, 69.73],
    ['Shu', 43.6, 73.76],
    ['Kordai', 43.04, 74.71],
    ['Merke', 42.87, 73.18],
    ['Sarykemer', 43.0, 71.5],
    ['Bauyrzhan Momyshuly', 42.62, 70.76], // approx.
    ['Kulan', 42.92, 72.72],
    ['Moiynkum', 44.28, 72.94],
    ['Mynaral', 45.42, 73.68],
  ],
  'almaty-region': [
    ['Konaev', 43.87, 77.07],
    ['Kaskelen', 43.2, 76.62],
    ['Talgar', 43.3, 77.24],
    ['Esik', 43.36, 77.45],
    ['Otegen Batyr', 43.42, 77.02],
    // North-west of Almaty, Ili district (a strip of it, Avtobaza, is in the city); gazetteer,
    // 43°22'N 76°51'E.
    ['Boraldai', 43.37, 76.85],
    ['Uzynagash', 43.22, 76.31],
    ['Kegen', 43.02, 79.22],
    ['Narynkol', 42.72, 80.14], // approx.
    ['Chundzha', 43.54, 79.46],
    ['Shelek', 43.6, 78.25], // approx.
    ['Bakanas', 44.81, 76.27],
    // On the south-west shore of Lake Balkhash, facing Zhambyl Region's Mynaral.
    ['Ulken', 45.21, 73.98],
    // Not towns: points in Balkhash district (the Ili delta), which Priozersk across the lake claimed.
    ['Balkhash district (Ili delta, west)', 45.7, 74.4],
    ['Balkhash district (Ili delta, east)', 45.9, 75.4],
  ],
  zhetysu: [
    ['Taldykorgan', 45.02, 78.37],
    ['Tekeli', 44.83, 78.83],
    ['Zharkent', 44.17, 80.01],
    ['Khorgos', 44.22, 80.4], // approx.
    ['Ushtobe', 45.25, 77.98],
    ['Sarkand', 45.41, 79.92],
    ['Zhansugirov', 45.39, 79.48], // approx.
    ['Usharal', 46.17, 80.94], // approx.
    ['Dostyk', 45.25, 82.48],
    ['Karabulak', 44.91, 78.49], // approx.
    ['Saryozek', 44.36, 77.97],
    ['Balpyk Bi', 44.9, 78.23],
    ['Lepsy', 46.24, 78.95],
    // Not a town: a point in Kerbulak district's south, by the Ili, which Shelek (Almaty Region) claimed.
    ['Kerbulak district (south)', 44.05, 78.4],
    // Not a town: a point in Koksu district's west (the Taukum sands, 100 km from Balpyk Bi), which
    // Bakanas and Konaev (Almaty Region) claimed: 11% of the district before, see the grid check.
    ['Koksu district (west)', 44.95, 77.6],
  ],
  abai: [
    ['Semey', 50.41, 80.23],
    ['Kurchatov', 50.76, 78.54],
    ['Ayagoz', 47.96, 80.43],
    // The railway junction north of Lake Balkhash; without it Zhetysu's Lepsy would claim the area.
    ['Aktogay', 46.95, 79.67],
    ['Karaaul', 48.95, 79.26],
    ['Aksuat', 47.76, 82.8], // approx.
    ['Beskaragai', 50.89, 79.48], // approx.
    ['Borodulikha', 50.72, 80.93],
    ['Kalbatau', 49.33, 81.57],
    ['Shar', 49.59, 81.05],
    ['Auezov', 49.71, 81.58],
    ['Kokpekti', 48.75, 82.37], // approx.
    ['Urzhar', 47.09, 81.63],
    ['Makanshi', 46.79, 82.0], // approx.
  ],
  'east-kazakhstan': [
    ['Oskemen', 49.97, 82.61],
    ['Ridder', 50.34, 83.51],
    ['Altai', 49.73, 84.27],
    ['Zaisan', 47.47, 84.87],
    ['Shemonaikha', 50.63, 81.91],
    ['Glubokoe', 50.14, 82.31],
    ['Asubulak', 49.56, 83.06],
    ['Samarskoe', 49.03, 83.35], // approx.
    ['Kurchum', 48.57, 83.66],
    ['Ulken Naryn', 49.21, 84.51], // approx.
    ['Katonkaragai', 49.17, 85.61], // approx.
    ['Tugyl', 47.73, 84.21],
  ],
  pavlodar: [
    ['Pavlodar', 52.28, 76.97],
    ['Ekibastuz', 51.72, 75.32],
    ['Aksu', 52.04, 76.93],
    ['Bayanaul', 50.79, 75.7],
    ['Zhelezinka', 53.54, 75.31],
    ['Irtyshsk', 53.33, 75.46],
    ['Terenkol', 53.07, 76.1],
    ['Sharbakty', 52.5, 78.15], // approx.
    ['Uspenka', 52.91, 77.41], // approx.
    // Down the Irtysh from Kurchatov (Abai): without it Abai would reach halfway to Pavlodar.
    ['Akkuly', 51.48, 77.77], // approx.
  ],
  karaganda: [
    ['Karaganda', 49.8, 73.1],
    ['Temirtau', 50.06, 72.96],
    ['Saran', 49.79, 72.84],
    ['Shakhtinsk', 49.71, 72.59],
    ['Abai', 49.64, 72.86],
    ['Balkhash', 46.85, 75.0],
    ['Priozersk', 46.03, 73.7],
    ['Karkaraly', 49.41, 75.47],
    ['Aktogay', 48.17, 75.3],
    ['Botakara', 50.07, 73.72], // approx.
    ['Kievka', 50.26, 71.55],
    ['Osakarovka', 50.56, 72.57],
    ['Aksu-Ayuly', 48.77, 73.67],
    ['Agadyr', 48.26, 72.86],
    ['Aktau', 48.03, 72.83],
    ['Moiynty', 47.22, 73.37],
    // On the north-east shore of Lake Balkhash, facing Zhetysu.
    ['Sayak', 47.0, 77.27],
    // Not towns: points well inside districts of 30-46 thousand km² with one centre in a corner,
    // whose villages could not be placed reliably; without them the neighbours' towns claimed
    // most of the district. Placed inside the district outlines (geoBoundaries ADM2, whose
    // district lines match the 2022 ones here), at least ~30 km from the edge.
    ['Nura district (north-west, by Tengiz)', 50.45, 68.75],
    ['Nura district (west)', 49.75, 68.3],
    ['Nura district (south-west)', 49.15, 69.2],
    ['Nura district (centre)', 49.6, 69.95],
    ['Nura district (north)', 49.95, 70.55],
    ['Nura district (south)', 49.1, 70.3],
    ['Nura district (east)', 49.6, 71.25],
    ['Osakarovka district (north-east)', 50.95, 73.7],
    ['Shet district (west)', 46.9, 72.2],
    ['Karkaraly district (north-east)', 50.1, 76.9],
    ['Karkaraly district (south-east)', 48.65, 77.1],
  ],
  ulytau: [
    ['Zhezkazgan', 47.78, 67.76],
    ['Satpayev', 47.9, 67.53],
    ['Karazhal', 48.0, 70.79],
    ['Ulytau', 48.65, 67.01],
    ['Atasu', 48.68, 71.64],
    // Not towns: points inside Ulytau and Zhanaarka districts (see Karaganda's list), facing
    // Karaganda's Nura and Shet districts and Kyzylorda across the empty steppe and desert.
    ['Ulytau district (north-east)', 48.3, 68.7],
    ['Zhanaarka district (north-west)', 48.35, 69.95],
    ['Zhanaarka district (centre)', 47.3, 70.3],
    ['Zhanaarka district (south)', 46.6, 70.2],
    ['Ulytau district (south)', 46.7, 66.5],
    ['Ulytau district (south-west)', 47.1, 64.9],
    ['Ulytau district (west)', 47.35, 63.6],
  ],
};

export const TOWNS: readonly Town[] = (Object.entries(BY_REGION) as [OblastKey, readonly Row[]][]).flatMap(([region, rows]) =>
  rows.map(([name, latitude, longitude]) => ({ name, latitude, longitude, region })),
);

export interface Disc {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

/**
 * The city limits of Astana, Almaty and Shymkent as discs: a point inside one is the city, and
 * past them the nearest town of the region around decides (Kaskelen, Talgar and Otegen Batyr are
 * Almaty Region though 20-30 km from Almaty's centre). The discs hold the built-up city and stop
 * short of the suburbs of the region around, which therefore win just outside:
 * - Astana (~800 km²) is a main disc and a small one over the airport to the south-east, so the
 *   limits end about 2-3 km short of Kosshy's northern houses (Kosshy lies 2-3 km from the city
 *   line); the single 15 km disc before reached within 1-2 km of them.
 * - Almaty is three discs: the city stretches west (Nauryzbay district) and north (Alatau, the
 *   airport in Turksib) but hardly east of Medeu, and its Medeu district runs up the gorge to
 *   Shymbulak. Boraldai, Otegen Batyr, Talgar and Kaskelen stay outside.
 * - Shymkent (~1,170 km² since 2014) is centred west of its old centre: its pre-2014 limits
 *   (district outline, geoBoundaries ADM2) end at 69.72°E, where Sayram district begins, and the
 *   2014 additions lie west and north (the airport). The 16 km disc before reached 69.79°E and
 *   took in Sayram; this one ends at that 69.72°E line. A small second disc holds the old city's
 *   north-east corner.
 * The area the discs miss (Shymkent's 2014 additions south and west of them, Astana's outer
 * edges) goes to the region around, which is the safer side of a guess the bot always names.
 * A point within about 3 km of a city's edge can fall on the wrong side.
 */
export const CITY_LIMITS: Readonly<Record<CityKey, readonly Disc[]>> = {
  astana: [
    { latitude: 51.15, longitude: 71.43, radiusKm: 14.5 },
    { latitude: 51.05, longitude: 71.47, radiusKm: 6 },
  ],
  almaty: [
    { latitude: 43.225, longitude: 76.905, radiusKm: 13.5 },
    { latitude: 43.33, longitude: 77.0, radiusKm: 6 },
    { latitude: 43.15, longitude: 77.06, radiusKm: 4 },
  ],
  shymkent: [
    { latitude: 42.33, longitude: 69.55, radiusKm: 14 },
    { latitude: 42.41, longitude: 69.64, radiusKm: 4.5 },
  ],
};
