/** The rehearsal's throwaway index is cli-kit's local pypiserver: the one the tests start too. */
export {
  freePort,
  startLocalPypiServer as startThrowawayIndex,
  type IndexEndpoint,
  type LocalPypiServer as ThrowawayIndex,
  type LocalPypiServerOptions as ThrowawayIndexOptions,
} from "@pypi-workflows/cli-kit";
