import { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } from "@actions/workflow-parser";
import { readFileSync } from "node:fs";
const root = "../..";
const f = "examples/workflows/trusted-publishing.yml";
const provider = { async getFileContent(ref) { console.log("REF", ref); const p = ref.path; return { name: p, content: readFileSync(`${root}/${p}`, "utf8") }; } };
const parsed = parseWorkflow({ name: f, content: readFileSync(`${root}/${f}`, "utf8") }, new NoOperationTraceWriter());
console.log(parsed.context.errors.getErrors());
const t = await convertWorkflowTemplate(parsed.context, parsed.value, provider, { fetchReusableWorkflowDepth: 1 });
console.log(t.errors);
for (const j of t.jobs) {
  console.log(j.id.value, j.type, j.needs?.map(n=>n.value), j.if?.expression, j.ref?.value);
  if (j["input-values"]) for (const p of j["input-values"]) console.log("   in", p.key.value, p.value.templateTokenType, p.value.expression ?? p.value.value);
  for (const jj of j.jobs ?? []) console.log("   ->", jj.id.value, jj.needs?.map(n=>n.value), jj.if?.expression);
  if (j.outputs) console.log("   outputs", [...j.outputs].map(p=>p.key.value));
}
console.log(Object.keys(t.events), JSON.stringify(t.events.push));
