// A one-line summary of a find().explain() answer, from MongoDB or from FerretDB. MongoDB
// answers with queryPlanner.winningPlan (stages such as IXSCAN with an indexName); FerretDB 1.24
// on PostgreSQL answers with PostgreSQL's own plan under queryPlanner.Plan ("Node Type", "Index
// Name", nested "Plans") and says whether the filter was pushed down to the database.

interface PgNode {
  'Node Type'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PgNode[];
}

interface MongoStage {
  stage?: string;
  indexName?: string;
  inputStage?: MongoStage;
  inputStages?: MongoStage[];
}

function pgNodes(node: PgNode | undefined, out: string[]): void {
  if (!node) return;
  out.push(node['Index Name'] ? `${node['Node Type']} on ${node['Index Name']}` : String(node['Node Type']));
  for (const child of node.Plans ?? []) pgNodes(child, out);
}

function mongoStages(stage: MongoStage | undefined, out: string[]): void {
  if (!stage) return;
  out.push(stage.indexName ? `${stage.stage} ${stage.indexName}` : String(stage.stage));
  mongoStages(stage.inputStage, out);
  for (const s of stage.inputStages ?? []) mongoStages(s, out);
}

export function explainSummary(explain: unknown): string {
  const e = (explain ?? {}) as { queryPlanner?: { Plan?: PgNode; winningPlan?: MongoStage }; filterPushdown?: boolean };
  const planner = e.queryPlanner ?? {};
  const out: string[] = [];
  if (planner.Plan) {
    pgNodes(planner.Plan, out);
    return `FerretDB/PostgreSQL: ${out.join(' <- ')}; filter pushed down: ${e.filterPushdown ? 'yes' : 'no'}`;
  }
  if (planner.winningPlan) {
    mongoStages(planner.winningPlan, out);
    return `MongoDB: ${out.join(' <- ')}`;
  }
  return `unrecognised plan: ${JSON.stringify(explain).slice(0, 300)}`;
}
