// Preloaded into serverless-offline by run.sh (NODE_OPTIONS=--require): keeps it alive through
// the unhandled promise rejection it produces when a function invoked with InvocationType
// Event fails or times out (InvocationsController starts the handler without awaiting it).
// Without a listener of our own, the Framework's `essentials` module turns every unhandled
// rejection into an uncaught exception and the Framework exits; with one, `essentials` stands
// aside. Each rejection is still logged.
"use strict";
process.on("unhandledRejection", (reason) => {
  const text = reason && reason.stack ? reason.stack : String(reason);
  process.stderr.write(`[keep-alive] unhandled promise rejection (server kept running): ${text}\n`);
});
