"""Layer 1, inputs: where files are, external data (catalogue, checksums), schemas of the authored data,
authored tables and assumption files, published values, the city layer. Imports no other layer."""
