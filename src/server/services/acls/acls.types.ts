// The zod request schemas of the ACLs area. The binding's checks are in ~/lib/acls.ts, which the
// form runs in the browser too.
import { z } from "zod";
import { ACL_OPERATIONS, ACL_RESOURCE_TYPES, aclBindingSchema, existingAclSchema } from "~/lib/acls";

export { aclBindingSchema, existingAclSchema };

export const aclFilterSchema = z
  .object({
    /** Part of the principal, any case: "bob" finds User:bob. */
    principal: z.string().trim().max(1000).optional(),
    resourceType: z.enum(ACL_RESOURCE_TYPES).optional(),
    /** Part of the resource name or prefix, any case. */
    resourceName: z.string().trim().max(1000).optional(),
  })
  .default({});
export type AclFilter = z.output<typeof aclFilterSchema>;

/** "Why is this denied?": one request, as the authorizer sees it. */
export const aclQuestionSchema = z.object({
  principal: existingAclSchema.shape.principal,
  host: existingAclSchema.shape.host,
  operation: z.enum(ACL_OPERATIONS, { error: `The operation is one of ${ACL_OPERATIONS.join(", ")}.` }),
  resourceType: z.enum(ACL_RESOURCE_TYPES, { error: `The resource type is one of ${ACL_RESOURCE_TYPES.join(", ")}.` }),
  resourceName: z.string().trim().min(1, "Name the resource.").max(1000),
});
