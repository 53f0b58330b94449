package dev.ferry.client;

import static dev.ferry.client.HttpTransport.seg;
import static dev.ferry.client.HttpTransport.type;

import dev.ferry.core.api.Wire;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.model.Digest;
import dev.ferry.core.pack.BlobFrames;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The server's blob routes, as the remote blob store uses them. */
final class BlobWire {
    private final HttpTransport http;

    BlobWire(HttpTransport http) {
        this.http = http;
    }

    String url() {
        return http.base();
    }

    /** {@code POST /blobs/missing}: which of these the server does not have. */
    List<Digest> missing(List<Digest> digests) {
        Wire.Digests answer = http.call("POST", "/blobs/missing", new Wire.Digests(digests), type(Wire.Digests.class));
        return answer == null ? List.of() : answer.digests();
    }

    /** {@code POST /packs}: one body of {@link BlobFrames}, stored whole or not at all. */
    Wire.PackReceipt uploadPack(byte[] body, int length) {
        return HttpTransport.read(http.send("POST", "/packs", "application/octet-stream", body, length),
                type(Wire.PackReceipt.class));
    }

    /** {@code GET /blobs/{digest}}: one blob's bytes, checked against the digest here. */
    byte[] read(Digest digest) {
        byte[] data = http.send("GET", "/blobs/" + seg(digest.toString()), null).body();
        Digest actual = Digest.of(data);
        if (!actual.equals(digest)) {
            throw damaged(List.of(digest), new java.io.IOException("blob " + digest + " arrived as bytes that hash to "
                    + actual));
        }
        return data;
    }

    /**
     * {@code POST /blobs/read}: many blobs in one answer, read frame by frame as it arrives, each
     * checked against its digest (DATA_CORRUPT if one arrives damaged).
     */
    Map<Digest, byte[]> read(List<Digest> digests) {
        Map<Digest, byte[]> blobs = new HashMap<>();
        // the server's own refusal (an unknown blob, too many) or an outage comes from here as it is
        InputStream answer = http.stream("POST", "/blobs/read", new Wire.Digests(digests));
        try (InputStream body = answer) {
            BlobFrames.read(body, (digest, data, length) -> blobs.put(digest, Arrays.copyOf(data, length)));
        } catch (IOException | FerryException e) {
            throw damaged(digests, e);
        }
        return blobs;
    }

    /**
     * A batch that did not arrive whole: the server checks the blobs asked for and records those damaged
     * in its store (the server sends blobs unchecked; the client is the one that checks). The error names
     * them, or says the damage was on the way if the store's copies are sound.
     */
    private FerryException damaged(List<Digest> digests, Exception cause) {
        List<Digest> damaged;
        try {
            damaged = check(digests);
        } catch (FerryException e) {
            damaged = List.of();
            cause.addSuppressed(e);
        }
        if (damaged.isEmpty()) {
            return new FerryException(ErrorCode.DATA_CORRUPT, "blobs from " + http.base() + " arrived damaged: "
                    + cause.getMessage(), "try again; if it repeats, run 'ferry fsck' against the server", cause);
        }
        return new FerryException(ErrorCode.DATA_CORRUPT, "blob " + damaged.getFirst() + (damaged.size() > 1
                ? " and " + (damaged.size() - 1) + " more are" : " is") + " damaged in the store of " + http.base()
                + " (now recorded there)", "push or upload the files it came from again to store it anew;"
                + " 'ferry fsck' on the server lists the files that need it", cause);
    }

    /** {@code POST /blobs/check}: which of these are damaged in the server's store (recorded there as such). */
    List<Digest> check(List<Digest> digests) {
        Wire.Digests answer = http.call("POST", "/blobs/check", new Wire.Digests(digests), type(Wire.Digests.class));
        return answer == null ? List.of() : answer.digests();
    }

    /** {@code GET /manifests/{root}}: whether a committed bundle has this manifest. */
    boolean manifestCommitted(Digest root) {
        Wire.ManifestState state = http.call("GET", "/manifests/" + seg(root.toString()), null,
                type(Wire.ManifestState.class));
        return state != null && state.committed();
    }
}
