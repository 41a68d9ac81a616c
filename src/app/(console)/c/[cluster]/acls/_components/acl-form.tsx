"use client";

// A new ACL binding: the operations offered are those that apply to the chosen resource type, and the
// same checks as the server run before Kafka is asked.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ACL_OPERATIONS, ACL_PATTERN_TYPES, ACL_PERMISSIONS, ACL_RESOURCE_TYPES, aclBindingSchema, describeAcl, onResourceType, OPERATIONS_BY_RESOURCE, type AclBindingInput, type AclResourceType } from "~/lib/acls";
import { errorText } from "~/trpc/error-text";
import { useTRPC } from "~/trpc/react";

const EMPTY: AclBindingInput = { principal: "User:", host: "*", operation: "READ", permission: "ALLOW", resourceType: "TOPIC", resourceName: "", patternType: "LITERAL" };

export function AclForm({ onClose }: { onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [binding, setBinding] = useState<AclBindingInput>(EMPTY);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const create = useMutation(trpc.acls.create.mutationOptions({ onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.acls.list.pathKey() }) }));
  const operations = OPERATIONS_BY_RESOURCE[binding.resourceType as keyof typeof OPERATIONS_BY_RESOURCE] ?? ACL_OPERATIONS;

  const set = (change: Partial<AclBindingInput>) => {
    // Keep the choices consistent with the resource type: its operations, and the cluster's one name.
    const next = change.resourceType ? onResourceType({ ...binding, ...change }, change.resourceType as AclResourceType) : { ...binding, ...change };
    setBinding(next);
    setProblems({});
    create.reset();
  };

  const submit = () => {
    const parsed = aclBindingSchema.safeParse(binding);
    if (!parsed.success) {
      setProblems(Object.fromEntries(parsed.error.issues.map((i) => [String(i.path[0] ?? "form"), i.message])));
      return;
    }
    create.mutate(parsed.data);
  };

  const problem = (field: string) =>
    problems[field] ? (
      <span className="error-text field-problem" role="alert" data-testid={`acl-problem-${field}`}>
        {problems[field]}
      </span>
    ) : null;

  return (
    <section className="card section acl-form" data-testid="acl-form">
      <h2>New ACL</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="form-grid">
          <label>
            <span>Principal</span>
            <input className="text-input mono" value={binding.principal} onChange={(e) => set({ principal: e.target.value })} placeholder="User:alice" data-testid="acl-principal" />
            {problem("principal")}
          </label>
          <label>
            <span>Permission</span>
            <select value={binding.permission} onChange={(e) => set({ permission: e.target.value as AclBindingInput["permission"] })} data-testid="acl-permission">
              {ACL_PERMISSIONS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Operation</span>
            <select value={binding.operation} onChange={(e) => set({ operation: e.target.value as AclBindingInput["operation"] })} data-testid="acl-operation">
              {operations.map((o) => (
                <option key={o}>{o}</option>
              ))}
            </select>
            {problem("operation")}
          </label>
          <label>
            <span>Host</span>
            <input className="text-input mono" value={binding.host} onChange={(e) => set({ host: e.target.value })} data-testid="acl-host" />
            {problem("host")}
          </label>
          <label>
            <span>Resource type</span>
            <select value={binding.resourceType} onChange={(e) => set({ resourceType: e.target.value as AclBindingInput["resourceType"] })} data-testid="acl-resource-type">
              {ACL_RESOURCE_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
          </label>
          <label>
            <span>Resource name</span>
            <input className="text-input mono" value={binding.resourceName} onChange={(e) => set({ resourceName: e.target.value })} disabled={binding.resourceType === "CLUSTER"} placeholder="orders, or * for all" data-testid="acl-resource-name" />
            {problem("resourceName")}
          </label>
          <label>
            <span>Pattern</span>
            <select value={binding.patternType} onChange={(e) => set({ patternType: e.target.value as AclBindingInput["patternType"] })} data-testid="acl-pattern-type">
              {ACL_PATTERN_TYPES.map((t) => (
                <option key={t}>{t}</option>
              ))}
            </select>
            {problem("patternType")}
          </label>
        </div>
        <p className="muted small">{aclBindingSchema.safeParse(binding).success ? `Will add: ${describeAcl(binding)}` : "PREFIXED matches every name starting with the resource name; LITERAL matches it exactly, or every resource for *."}</p>
        {create.error && (
          <div className="banner bad" role="alert" data-testid="acl-create-error">
            <strong>Not created</strong>
            <span>{errorText(create.error)}</span>
          </div>
        )}
        {create.isSuccess && (
          <div className="banner ok" role="status" data-testid="acl-created">
            <strong>ACL created</strong>
            <span>{describeAcl(binding)}</span>
          </div>
        )}
        <div className="confirm-row">
          <button type="submit" className="primary" disabled={create.isPending} data-testid="acl-create-submit">
            {create.isPending ? "Creating…" : "Create ACL"}
          </button>
          <button type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </form>
    </section>
  );
}
