// The api service entry point arrives with its issue.
export {};
