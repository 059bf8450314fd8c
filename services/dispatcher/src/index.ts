// The dispatcher service entry point arrives with its issue.
export {};
