package dev.parley.screening;

/** Where screened text comes from; {@link #field} names it in errors and audit entries. */
public enum ScreenedField {
    MESSAGE("content"),
    DISPLAY_NAME("display_name"),
    GROUP_NAME("name");

    private final String field;

    ScreenedField(String field) {
        this.field = field;
    }

    public String field() {
        return field;
    }
}
