package dev.safemigrate.tools;

/**
 * What a tool may ask of the MCP client during one call, without knowing MCP: ask the person
 * (elicitation) and report progress. The mcp layer implements it from the SDK exchange.
 */
public interface CallContext {

    /** Whether the client declared the elicitation capability. */
    boolean canAskPerson();

    /** @return the person's answer: true only for an explicit approval; decline, cancel or no answer is false */
    boolean askPersonToApprove(String message);

    /** Sent only when the client asked for progress (a progress token on the request). */
    void progress(double done, double total, String message);

    CallContext NONE = new CallContext() {
        @Override
        public boolean canAskPerson() {
            return false;
        }

        @Override
        public boolean askPersonToApprove(String message) {
            return false;
        }

        @Override
        public void progress(double done, double total, String message) {
            // nobody to tell
        }
    };
}
