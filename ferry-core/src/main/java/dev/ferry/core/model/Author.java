package dev.ferry.core.model;

/** Who made a bundle or moved a label, from {@code ferry config}. */
public record Author(String name, String email) {
    public Author {
        name = name == null ? "" : name;
        email = email == null ? "" : email;
    }

    @Override
    public String toString() {
        return email.isEmpty() ? name : name + " <" + email + ">";
    }
}
