/** A plan or version hash as people compare it: the first twelve hex digits, without `sha256:`. */
export const shortHash = (hash: string) => hash.replace(/^sha256:/, '').slice(0, 12);
