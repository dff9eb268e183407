/** The clouds the local cloud emulates, in Atlas's spelling (`cloudProvider`). */
export type CloudName = 'AWS' | 'AZURE' | 'GCP';
