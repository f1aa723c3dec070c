/** A setting that stops start-up, naming the variable or file key at fault. */
export class ConfigError extends Error {
  constructor(key: string, why: string) {
    super(`invalid configuration: ${key} ${why}`);
    this.name = 'ConfigError';
  }
}
