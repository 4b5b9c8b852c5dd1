// @ts-check
import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
    { ignores: ["bin/**", "node_modules/**", "policies/node_modules/**", "**/*.js", "**/*.mjs"] },
    eslint.configs.recommended,
    ...tseslint.configs.recommended,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "@typescript-eslint/no-floating-promises": "off",
            "eqeqeq": ["error", "always"],
            "no-console": "off",
        },
    },
    {
        files: ["test/**/*.ts"],
        rules: {
            // chai's `expect(x).to.be.true` style is an expression statement.
            "@typescript-eslint/no-unused-expressions": "off",
            // Tests walk provider inputs and JSON documents of arbitrary shape.
            "@typescript-eslint/no-explicit-any": "off",
        },
    },
);
