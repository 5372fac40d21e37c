import type { JsonSchema } from '@recur/runtime';

/**
 * Call-option schemas from the spec block schemas they override (`head.generate`, `head.search`):
 * the same bounds and descriptions, without the spec's defaults (a call that omits an option gets
 * the spec's value, not the schema's), so a bound is stated once for the spec and the call.
 */
export function asCallOptions(properties: Readonly<Record<string, JsonSchema>>): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, schema]) => {
      const { default: _default, ...rest } = schema;
      return [
        name,
        {
          ...rest,
          description:
            `${typeof rest['description'] === 'string' ? rest['description'] : ''} Default: the spec's value.`.trim(),
        },
      ];
    }),
  );
}
