// Adds lock entries for optional platform packages that the registry mirror here does not serve
// (npm then leaves them out of package-lock.json and `npm ci` refuses the lock; npm/cli#8805).
// The stubs only name version, os and cpu, so npm skips them on other platforms as it should.
// Run after `npm install`: node scripts/fix-lockfile.mjs
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const OS = { darwin: 'darwin', win32: 'win32', linux: 'linux', freebsd: 'freebsd', android: 'android', openbsd: 'openbsd', sunos: 'sunos', aix: 'aix', netbsd: 'netbsd' };
const CPU = ['arm64', 'x64', 'arm', 'ia32', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'];
let added = 0;
for (const [where, pkg] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(pkg.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (lock.packages[key] || lock.packages[`${where}/${key}`]) continue;
    const parts = name.split(/[-/]/);
    const os = parts.find((p) => OS[p]);
    const cpu = parts.find((p) => CPU.includes(p));
    lock.packages[key] = { version, ...(cpu ? { cpu: [cpu] } : {}), ...(os ? { os: [os] } : {}), optional: true, license: pkg.license ?? 'MIT' };
    added += 1;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`fix-lockfile: added ${added} platform stub(s)`);
