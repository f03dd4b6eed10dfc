const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether a text is a UUID (ids of cases, tasks, documents): check before it reaches a uuid column. */
export const isUuid = (s: string): boolean => UUID.test(s);
