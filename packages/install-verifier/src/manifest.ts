/** dist-check's manifest (read and validated by index-client, the one reader every helper shares). */
export { readManifest, type Manifest } from "@pypi-workflows/index-client";
