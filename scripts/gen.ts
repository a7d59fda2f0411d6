// Regenerates the TypeScript contract code in src/gen from proto/ with buf and ts-proto,
// skipping the work when the protos and generation settings are unchanged since last time.
// C# and C++ are generated from the same tree by their own builds (Grpc.Tools in
// engine-clients/dotnet, protoc + grpc_cpp_plugin in engine-clients/cpp).
//   npm run gen            regenerate if needed
//   npm run gen -- --check fail if src/gen does not match the protos (CI)
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const stampFile = join(root, "src/gen/.proto-hash");
const bin = join(root, "node_modules/.bin");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

function inputsHash(): string {
  const hash = createHash("sha256");
  for (const file of [...filesUnder(join(root, "proto")), join(root, "buf.gen.yaml"), join(root, "buf.yaml")]) {
    hash.update(relative(root, file)).update(readFileSync(file));
  }
  return hash.digest("hex");
}

function generate(outputDir: string): void {
  execFileSync(join(bin, "buf"), ["generate", "--output", outputDir], { cwd: root, stdio: "inherit", env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
}

function snapshot(dir: string): Map<string, string> {
  return new Map(filesUnder(dir).filter((f) => !f.endsWith(".proto-hash")).map((f) => [relative(dir, f), readFileSync(f, "utf8")]));
}

if (process.argv.includes("--check")) {
  const scratch = mkdtempSync(join(tmpdir(), "vitrine-gen-"));
  generate(scratch);
  const expected = snapshot(join(scratch, "src/gen"));
  const actual = snapshot(join(root, "src/gen"));
  rmSync(scratch, { recursive: true, force: true });
  const differing = [...new Set([...expected.keys(), ...actual.keys()])].filter((f) => expected.get(f) !== actual.get(f));
  if (differing.length > 0) {
    console.error(`src/gen does not match proto/: ${differing.join(", ")} — run npm run gen`);
    process.exit(1);
  }
  console.log("src/gen matches proto/");
} else {
  const hash = inputsHash();
  if (existsSync(stampFile) && readFileSync(stampFile, "utf8").trim() === hash) {
    console.log("src/gen is up to date");
  } else {
    execFileSync(join(bin, "buf"), ["lint"], { cwd: root, stdio: "inherit" });
    rmSync(join(root, "src/gen"), { recursive: true, force: true });
    generate(".");
    writeFileSync(stampFile, hash + "\n");
    console.log("regenerated src/gen");
  }
}
