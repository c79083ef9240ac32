/** Types of scripts/server-bundle.mjs (plain JavaScript, so that `node` runs it without a loader). */
export declare const projectRoot: string;
export declare const outDir: string;
export declare const ENTRIES: Readonly<Record<string, string>>;
export declare function bundlePath(name: string): string;
export declare function buildServer(options?: { log?: boolean }): Promise<unknown>;
export declare function staleReason(): string | null;
export declare function ensureServerBundle(options?: { log?: boolean }): Promise<boolean>;
