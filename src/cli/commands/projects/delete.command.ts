import { apiPath } from '../../api/api-session.js';
import { defineCommand, FORCE_FLAG, objectIdArg } from '../../framework/command-spec.js';

/** `privlink projects delete <ID> [--force]`: `DELETE /api/atlas/v2/groups/{id}`. */
export const projectDeleteCommand = defineCommand({
  name: 'delete',
  aliases: ['rm'],
  summary: 'Remove the specified project.',
  description: 'A project that still has clusters or private endpoint services cannot be deleted.',
  args: [{ name: 'ID', description: 'Unique 24-digit string that identifies the project.', validate: objectIdArg }],
  flags: [FORCE_FLAG],
  examples: ['privlink projects delete 5e2211c17a3e5a48f5497de3 --force'],
  async run(ctx, [id]) {
    const api = ctx.api();
    await ctx.confirmDelete(id!, 'Project not deleted');
    await api.delete(apiPath`/api/atlas/v2/groups/${id!}`);
    ctx.out(`Project '${id}' deleted\n`);
  },
});
