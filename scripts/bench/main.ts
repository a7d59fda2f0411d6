// Runs the named benchmarks (all when none is named): `npm run bench -- ingest serving`.
// Each prints its figures and their ratio to a baseline measured in the same run.
import process from "node:process";
const all = ["ingest", "serving", "quality", "freshness"];
const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
for (const name of names) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark "${name}" (expected ${all.join(", ")})`);
    process.exit(2);
  }
}
for (const name of names) {
  console.log(`\n== ${name} ==`);
  const bench = (await import(`./${name}.ts`)) as { run(): Promise<void> };
  await bench.run();
}
