import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { IndexUnreachableError } from "@pypi-workflows/index-client";

/**
 * Downloads one file the index lists to `dest`, hashing it as it streams; returns its sha256. Any failure to
 * fetch it is IndexUnreachableError (exit 2), like every other look at the index.
 */
export async function downloadIndexFile(url: string, dest: string, timeoutMs: number): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: "follow", signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new IndexUnreachableError(url, (error as Error).name === "TimeoutError" ? "timed out" : String((error as Error).message), error);
  }
  if (!response.ok || !response.body) throw new IndexUnreachableError(url, `HTTP ${response.status} while downloading the file`);
  const hash = createHash("sha256");
  const out = createWriteStream(dest);
  try {
    for await (const chunk of response.body) {
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
  } catch (error) {
    out.destroy();
    throw new IndexUnreachableError(url, `the download broke off: ${(error as Error).message}`, error);
  }
  out.end();
  await once(out, "finish");
  return hash.digest("hex");
}
