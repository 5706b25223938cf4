import type { CodegenConfig } from "@graphql-codegen/cli";

// Types for every query in src/ come from the schema the server exports
// (graphql/schema.graphql), so a renamed field breaks the build, not the page.
const config: CodegenConfig = {
  schema: "../graphql/schema.graphql",
  documents: ["src/**/*.{ts,tsx}", "!src/gql/**/*"],
  ignoreNoDocuments: true,
  generates: {
    "./src/gql/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        enumsAsTypes: true,
        useTypeImports: true,
        scalars: { Date: "string", DateTime: "string", UUID: "string", JSON: "unknown" },
        // Ids have one scalar per kind (CourseId, ClientId, …): all strings.
        defaultScalarType: "string",
      },
    },
  },
};
export default config;
