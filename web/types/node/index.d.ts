// Stands in for @types/node in tsconfig.web.json: some browser packages' types
// (@types/papaparse) reference Node's, which would let Node APIs typecheck in
// browser code. Nothing is declared here, so node:fs, process or Buffer fail.
export {};
