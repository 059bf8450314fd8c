/**
 * JSON schemas of every query string, path parameter and body the console accepts. Unknown
 * parameters are refused (400), not ignored, so a typo never silently widens a query.
 */
const text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;

export const jobsQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    state: { type: 'string', pattern: '^[A-Z_]{1,32}$' },
    gateway: text(256),
    user: text(256),
    queue: text(256),
    q: text(200),
    limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
    cursor: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,600}$' },
  },
} as const;

export const jobParams = {
  type: 'object',
  additionalProperties: false,
  required: ['jobId'],
  properties: { jobId: text(300) },
} as const;

export const outputParams = {
  type: 'object',
  additionalProperties: false,
  required: ['jobId', 'name'],
  properties: { jobId: text(300), name: text(255) },
} as const;

export const deadLetterParams = {
  type: 'object',
  additionalProperties: false,
  required: ['id'],
  properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } },
} as const;

export const noQuery = { type: 'object', additionalProperties: false, properties: {} } as const;

export const loginBody = {
  type: 'object',
  additionalProperties: false,
  required: ['token'],
  // gateway: which gateway a Keycloak token is for, when its realm serves several.
  properties: { token: { type: 'string', minLength: 1, maxLength: 8192 }, gateway: text(256) },
} as const;

/** The bundle's files: a plain name, never a path. */
export const assetParams = {
  type: 'object',
  additionalProperties: false,
  required: ['file'],
  properties: { file: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,64}\\.[a-z]{1,8}$' } },
} as const;

/**
 * The jobs page's own address carries its filters (bookmarkable views); the page reads them and asks
 * /api/jobs, which checks them again. Other pages take no parameters.
 */
export const jobsPageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { state: jobsQuery.properties.state, gateway: text(256), user: text(256), queue: text(256), q: text(200) },
} as const;

export const pageParams = jobParams;
