package dev.ferry.core.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/** POSIX permission bits as the int a manifest stores (e.g. 0644), and this process's umask. */
final class Modes {
    private static final PosixFilePermission[] ORDER = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ,
    };
    private static volatile Integer umask;

    private Modes() {}

    static int toBits(Set<PosixFilePermission> permissions) {
        int bits = 0;
        for (int i = 0; i < ORDER.length; i++) {
            if (permissions.contains(ORDER[i])) {
                bits |= 1 << i;
            }
        }
        return bits;
    }

    static Set<PosixFilePermission> fromBits(int bits) {
        Set<PosixFilePermission> set = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < ORDER.length; i++) {
            if ((bits & (1 << i)) != 0) {
                set.add(ORDER[i]);
            }
        }
        return set;
    }

    /**
     * The umask, learnt once by creating a file that asks for every bit: a restored file created with
     * its mode keeps it exactly when the umask clears none of its bits, and then needs no chmod.
     */
    static int umask(Path scratchDir) {
        Integer known = umask;
        if (known != null) {
            return known;
        }
        try {
            Path probe = Files.createTempFile(scratchDir, ".ferry-umask", ".tmp",
                    PosixFilePermissions.asFileAttribute(fromBits(0777)));
            try {
                known = ~toBits(Files.getPosixFilePermissions(probe)) & 0777;
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException | UnsupportedOperationException e) {
            known = 0777; // unknown: always chmod
        }
        umask = known;
        return known;
    }
}
