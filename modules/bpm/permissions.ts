// The BPM module's permission codes, shared by its action files.
export const PERMISSIONS = {
  deploy: 'bpm.definitions.deploy',
  read: 'bpm.definitions.read',
  start: 'bpm.instances.start',
  /** Every instance (admins). */
  instancesRead: 'bpm.instances.read',
  /** The instances the user started or has or had a task in. */
  instancesReadOwn: 'bpm.instances.readOwn',
  manage: 'bpm.instances.manage',
  tasks: 'bpm.tasks.work',
  messages: 'bpm.messages.send',
} as const;
