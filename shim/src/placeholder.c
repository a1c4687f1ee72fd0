/* Placeholder until the shim lands: proves that gcc and make work. */
__attribute__((visibility("default"))) int nmshim_version(void) { return 0; }
