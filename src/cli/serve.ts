import { loadConfig } from "../config/config.js";
import { createLogger } from "../log/logger.js";
import { startApp } from "../server/app.js";

/** Runs the server until SIGTERM or SIGINT, then shuts it down gracefully. */
export async function serve(configFile: string | undefined): Promise<number> {
  const config = loadConfig({ file: configFile, env: process.env });
  const log = createLogger(config.logLevel);
  const app = await startApp(config, log);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log.info("shutting down", { signal });
      resolve();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
  });
  await app.close();
  return 0;
}
