/** One reason a launch is refused: the rule that refused it and a message a person can act on. */
export interface Problem {
  rule: string;
  message: string;
}
