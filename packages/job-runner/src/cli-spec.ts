export const CLI_SPEC = {} as never;
