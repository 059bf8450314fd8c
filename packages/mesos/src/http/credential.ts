/**
 * The framework's credential for masters that authenticate HTTP frameworks
 * (`--authenticate_http_frameworks`, `--http_framework_authenticators=basic`): the principal and
 * secret of one entry of the masters' `--credentials`, sent as HTTP Basic on every scheduler call.
 */
export interface FrameworkCredential {
  readonly principal: string;
  readonly secret: string;
}

export function basicAuthorization(c: FrameworkCredential): string {
  return `Basic ${Buffer.from(`${c.principal}:${c.secret}`, 'utf8').toString('base64')}`;
}
