// The provisioner service entry point arrives with its issue.
export {};
