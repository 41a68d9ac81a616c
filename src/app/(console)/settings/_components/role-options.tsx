import { ROLES } from "~/lib/roles";

/** The options of every role picker in Settings; "no role" has the empty value. */
export function RoleOptions({ allowNone = false }: { allowNone?: boolean }) {
  return (
    <>
      {allowNone && <option value="">no role</option>}
      {ROLES.map((r) => (
        <option key={r} value={r}>
          {r}
        </option>
      ))}
    </>
  );
}
