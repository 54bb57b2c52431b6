-- require 'pl': Penlight's modules become globals on first use (`path.exists(...)` loads
-- pl.path into the global `path`), as Penlight's own loader does; `utils` is set at once.
-- Names of Penlight modules luatorch does not ship stay undefined globals.

require 'pl.import_into'(_G)
