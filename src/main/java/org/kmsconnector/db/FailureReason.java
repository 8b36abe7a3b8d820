package org.kmsconnector.db;

/**
 * A failure reason as stored in last_error: printable text only (a revert payload may carry NUL
 * and other control bytes, which PostgreSQL refuses in text), and bounded in length.
 */
public final class FailureReason {
    /** last_error is for people; a longer reason is cut. */
    public static final int MAX_LENGTH = 2000;

    private FailureReason() {}

    public static String clean(String reason) {
        if (reason == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(reason.length(), MAX_LENGTH));
        for (int i = 0; i < reason.length() && sb.length() < MAX_LENGTH; i++) {
            char c = reason.charAt(i);
            sb.append(Character.isISOControl(c) ? (c == '\n' || c == '\t' ? ' ' : '?') : c);
        }
        if (reason.length() > MAX_LENGTH) {
            sb.setCharAt(MAX_LENGTH - 1, '…');
        }
        return sb.toString();
    }
}
