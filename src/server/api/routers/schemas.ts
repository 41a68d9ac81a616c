// The schema catalog: event types, versions, diffs, compatibility and conformance. The catalog is
// global (one contract, every cluster); binding topics and checking conformance act on the call's
// cluster (the default one from the global Schemas page). Thin procedures
// over services/schemas; architects change, everyone reads.
import { assertMayActEverywhere, assertMayActOn, visibleTo } from "~/server/services/auth/authorize";
import { z } from "zod";
import { COMPATIBILITY_MODES, listServices, SCHEMA_TYPES } from "~/server/catalog";
import { checkConformanceNow } from "~/server/services/schemas/conformance";
import {
  addSchemaVersion,
  bindTopics,
  compareVersions,
  getEventType,
  listEventTypes,
  registerEventType,
  setCompatibility,
  setGlobalCompatibilityLevel,
  testSchemaCompatibility,
  unbindTopics,
} from "~/server/services/schemas/event-types";
import { listExternalSubjects, registerThroughSignalbox } from "~/server/services/schemas/external-catalog";
import { deleteVersionsFromCatalog } from "~/server/services/schemas/version-lifecycle";
import { expensive } from "../limits";
import { architectProcedure, createTRPCRouter, globalArchitectProcedure, globalViewerProcedure, viewerProcedure } from "../trpc";

const name = z.string().trim().min(1).max(200);
const mode = z.enum(COMPATIBILITY_MODES);
// The schema's own limit (256 KiB) is checked by the service with a clear message; this only bounds the request.
const schemaText = z.string().max(1024 * 1024, "The schema text is over 1 MiB.");
/** JSON Schema, Avro or Protobuf; absent: JSON for a new event type, the latest version's format for a new version. */
const schemaType = z.enum(SCHEMA_TYPES).optional();

export const schemasRouter = createTRPCRouter({
  list: globalViewerProcedure.query(async ({ ctx }) => {
    const list = await listEventTypes();
    return { ...list, eventTypes: visibleTo(ctx.actor, list.eventTypes, (t) => ({ subject: t.name })) };
  }),
  get: globalViewerProcedure.input(z.object({ name })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { subject: input.name });
    return getEventType(input.name);
  }),
  compare: globalViewerProcedure.input(z.object({ name, from: z.number().int().min(1), to: z.number().int().min(1) })).query(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "viewer", { subject: input.name });
    return compareVersions(input.name, input.from, input.to);
  }),
  services: globalViewerProcedure.query(() => listServices()),

  /** A dry run of registration: what the level would say, without registering. */
  check: globalViewerProcedure
    .use(expensive("schemas.check"))
    .input(z.object({ name, schema: schemaText, schemaType }))
    .mutation(({ input }) => testSchemaCompatibility(input.name, input.schema, "mode", input.schemaType)),

  register: architectProcedure
    .use(expensive("schemas.register"))
    .input(
      z.object({
        name,
        domain: z.string().max(100),
        owner: z.string().max(100),
        description: z.string().max(2000).default(""),
        topics: z.array(z.string().max(249)).max(50).default([]),
        compatibility: mode.nullable().default(null),
        schema: schemaText,
        schemaType,
      }),
    )
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, subject: input.name, topics: input.topics });
      return registerEventType(ctx.actor, ctx.cluster.name, input);
    }),
  addVersion: globalArchitectProcedure
    .use(expensive("schemas.addVersion"))
    .input(z.object({ name, schema: schemaText, schemaType }))
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "architect", { subject: input.name });
      return addSchemaVersion(ctx.actor, input.name, input.schema, input.schemaType);
    }),
  setCompatibility: globalArchitectProcedure.input(z.object({ name, compatibility: mode.nullable() })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { subject: input.name });
    return setCompatibility(ctx.actor, input.name, input.compatibility);
  }),
  setGlobalCompatibility: globalArchitectProcedure.input(z.object({ compatibility: mode })).mutation(({ ctx, input }) => {
    assertMayActEverywhere(ctx.actor, "architect", "The global compatibility level");
    return setGlobalCompatibilityLevel(ctx.actor, input.compatibility);
  }),
  bindTopics: architectProcedure.input(z.object({ name, topics: z.array(z.string().trim().min(1).max(249)).min(1).max(50) })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, subject: input.name, topics: input.topics });
    return bindTopics(ctx.actor, ctx.cluster.name, input.name, input.topics);
  }),
  /** Removes the event type's bindings to topics of the call's cluster (all or none); its versions stay under its own subject. */
  unbindTopics: architectProcedure.input(z.object({ name, topics: z.array(z.string().trim().min(1).max(249)).min(1).max(50) })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, subject: input.name, topics: input.topics });
    return unbindTopics(ctx.actor, ctx.cluster.name, input.name, input.topics);
  }),
  /** Soft-deletes a version (hidden, its id still decodes records); with `permanent`, removes a soft-deleted one. */
  deleteVersion: globalArchitectProcedure.input(z.object({ name, version: z.number().int().min(1).max(2 ** 31 - 1), permanent: z.boolean().default(false) })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { subject: input.name });
    return deleteVersionsFromCatalog(ctx.actor, input.name, { version: input.version }, input.permanent);
  }),
  /** Every version of the event type, the same way; a permanent delete removes the event type. */
  deleteEventType: globalArchitectProcedure.input(z.object({ name, permanent: z.boolean().default(false) })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { subject: input.name });
    return deleteVersionsFromCatalog(ctx.actor, input.name, { subject: true }, input.permanent);
  }),
  /** The call's cluster's external registry: its subjects, each latest version, and the catalog's metadata; null with Signalbox's own registry. */
  external: viewerProcedure.use(expensive("schemas.external")).query(async ({ ctx }) => {
    const listing = await listExternalSubjects(ctx.env, ctx.cluster.name);
    return listing ? { ...listing, subjects: visibleTo(ctx.actor, listing.subjects, (s) => ({ subject: s.subject })) } : null;
  }),
  /** Registers into the call's cluster's external registry; the catalog keeps domain, owner, description and the topic binding. */
  registerExternal: architectProcedure
    .use(expensive("schemas.registerExternal"))
    .input(
      z.object({
        subject: name,
        schemaType: z.enum(SCHEMA_TYPES),
        schema: schemaText,
        domain: z.string().max(100),
        owner: z.string().max(100),
        description: z.string().max(2000).default(""),
        topic: z.string().trim().max(249).nullish(),
      }),
    )
    .mutation(({ ctx, input }) => {
      assertMayActOn(ctx.actor, "architect", { cluster: ctx.cluster.name, subject: input.subject, topics: input.topic ? [input.topic] : [] });
      return registerThroughSignalbox(ctx.actor, ctx.env, ctx.cluster.name, input);
    }),
  checkConformance: architectProcedure.input(z.object({ name })).mutation(({ ctx, input }) => {
    assertMayActOn(ctx.actor, "architect", { subject: input.name });
    return checkConformanceNow(ctx.actor, ctx.cluster, input.name, ctx.env.CONFORMANCE_SAMPLE_SIZE);
  }),
});
