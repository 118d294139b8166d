export function inputsHash(): string;
export function isBuildFresh(): boolean;
export function build(options?: { log?: (message: string) => void }): Promise<void>;
export function ensureBuilt(options?: { log?: (message: string) => void }): Promise<boolean>;
