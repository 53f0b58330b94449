package dev.ferry.s3;

import dev.ferry.core.pack.PackInfo;
import dev.ferry.core.pack.PackStore;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Packs as objects of an S3 bucket (or any S3-compatible store), under {@code prefix/packs/<xx>/<id>.pack}
 * and the catalog journal under {@code prefix/journal/<name>}: the same layout as the local store.
 *
 * <p>Crash safety as locally: a pack is written to a spool file on this machine and sent only on
 * commit, in one PUT (or, when large, a multipart upload that becomes visible only when completed), so
 * an object is either whole or absent. What a crash leaves are spool files and unfinished multipart
 * uploads, which {@link #removeAbandoned} clears. Reads are ranged GETs; their bytes are verified by
 * the blob store above, as for every store.
 */
final class S3PackStore implements PackStore {
    /** Packs up to this size go in one PUT; larger ones as a multipart upload of parts this size. */
    static final long PART_BYTES = 16L << 20;
    private static final String SPOOL_SUFFIX = ".pack.spool";

    private final S3Client s3;
    private final S3Location where;
    private final Path spool;

    S3PackStore(S3Client s3, S3Location where, Path spool) throws IOException {
        this.s3 = s3;
        this.where = where;
        this.spool = Files.createDirectories(spool);
    }

    private String packKey(String packId) {
        return where.key("packs/" + packId.substring(packId.length() - 2) + "/" + packId + ".pack");
    }

    @Override
    public String locate(String packId) {
        return where.url(packKey(packId));
    }

    @Override
    public String describe() {
        return where.url(where.prefix());
    }

    @Override
    public PackOutput create(String packId) throws IOException {
        Path file = spool.resolve(packId + SPOOL_SUFFIX);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return new SpooledOutput(packId, file, channel);
    }

    /** A pack being written: a local spool file until commit sends it. */
    private final class SpooledOutput implements PackOutput {
        private final String packId;
        private final Path file;
        private final FileChannel channel;
        private long size;
        private boolean done;

        SpooledOutput(String packId, Path file, FileChannel channel) {
            this.packId = packId;
            this.file = file;
            this.channel = channel;
        }

        @Override
        public void write(ByteBuffer data) throws IOException {
            while (data.hasRemaining()) {
                size += channel.write(data);
            }
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public void commit() throws IOException {
            channel.close();
            try {
                if (size <= PART_BYTES) {
                    s3.putObject(b -> b.bucket(where.bucket()).key(packKey(packId)), RequestBody.fromFile(file));
                } else {
                    putInParts(packKey(packId), file, size);
                }
            } catch (SdkClientException e) {
                throw unreachable(e);
            } catch (S3Exception e) {
                throw failure("cannot store " + locate(packId), e);
            } finally {
                done = true;
                Files.deleteIfExists(file);
            }
        }

        @Override
        public void close() {
            if (done) {
                return;
            }
            done = true;
            try {
                channel.close();
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new UncheckedIOException("could not remove spooled pack " + file, e);
            }
        }
    }

    /** A multipart upload, aborted if any part fails: the object appears only when it is complete. */
    private void putInParts(String key, Path file, long size) throws IOException {
        String upload = s3.createMultipartUpload(b -> b.bucket(where.bucket()).key(key)).uploadId();
        try {
            List<CompletedPart> parts = new ArrayList<>();
            try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
                int number = 1;
                for (long offset = 0; offset < size; offset += PART_BYTES, number++) {
                    int length = (int) Math.min(PART_BYTES, size - offset);
                    ByteBuffer part = ByteBuffer.allocate(length);
                    while (part.hasRemaining()) {
                        if (in.read(part, offset + part.position()) < 0) throw new EOFException("spool file " + file + " shrank");
                    }
                    part.flip();
                    int n = number;
                    String etag = s3.uploadPart(b -> b.bucket(where.bucket()).key(key).uploadId(upload).partNumber(n),
                            RequestBody.fromByteBuffer(part)).eTag();
                    parts.add(CompletedPart.builder().partNumber(n).eTag(etag).build());
                }
            }
            s3.completeMultipartUpload(b -> b.bucket(where.bucket()).key(key).uploadId(upload)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(where.bucket()).key(key).uploadId(upload));
            } catch (RuntimeException abortFailed) {
                e.addSuppressed(abortFailed); // removeAbandoned clears it later
            }
            throw e;
        }
    }

    @Override
    public byte[] read(String packId, long offset, int length) throws IOException {
        if (length == 0) {
            size(packId); // still: an unknown pack is an error
            return new byte[0];
        }
        ResponseBytes<GetObjectResponse> got;
        try {
            got = s3.getObjectAsBytes(b -> b.bucket(where.bucket()).key(packKey(packId))
                    .range("bytes=" + offset + "-" + (offset + length - 1)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(locate(packId));
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                throw new EOFException(locate(packId) + ": " + length + " bytes at " + offset + " run past its end");
            }
            throw failure("cannot read " + locate(packId), e);
        }
        byte[] bytes = got.asByteArray();
        if (bytes.length != length) {
            throw new EOFException(locate(packId) + ": " + length + " bytes at " + offset + " run past its end");
        }
        return bytes;
    }

    @Override
    public InputStream open(String packId) throws IOException {
        try {
            return s3.getObject(b -> b.bucket(where.bucket()).key(packKey(packId)));
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(locate(packId));
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot read " + locate(packId), e);
        }
    }

    @Override
    public long size(String packId) throws IOException {
        return sizeOf(packKey(packId));
    }

    private long sizeOf(String key) throws IOException {
        try {
            return s3.headObject(b -> b.bucket(where.bucket()).key(key)).contentLength();
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(where.url(key));
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                throw new NoSuchFileException(where.url(key));
            }
            throw failure("cannot look at " + where.url(key), e);
        }
    }

    @Override
    public List<PackInfo> list() throws IOException {
        List<PackInfo> packs = new ArrayList<>();
        for (S3Object o : objects("packs/")) {
            String name = o.key().substring(o.key().lastIndexOf('/') + 1);
            if (name.endsWith(".pack")) {
                packs.add(new PackInfo(name.substring(0, name.length() - ".pack".length()), o.size(), o.lastModified()));
            }
        }
        return packs;
    }

    private List<S3Object> objects(String under) throws IOException {
        try {
            List<S3Object> all = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(where.bucket()).prefix(where.key(under))).contents().forEach(all::add);
            return all;
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot list " + where.url(where.key(under)), e);
        }
    }

    @Override
    public boolean delete(String packId) throws IOException {
        try {
            sizeOf(packKey(packId));
        } catch (NoSuchFileException gone) {
            return false;
        }
        try {
            s3.deleteObject(b -> b.bucket(where.bucket()).key(packKey(packId)));
            return true;
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot delete " + locate(packId), e);
        }
    }

    @Override
    public int removeAbandoned(Duration olderThan) throws IOException {
        Instant cutoff = Instant.now().minus(olderThan);
        int removed = 0;
        try (DirectoryStream<Path> spooled = Files.newDirectoryStream(spool, "*" + SPOOL_SUFFIX)) {
            for (Path p : spooled) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(cutoff) && Files.deleteIfExists(p)) {
                    removed++;
                }
            }
        }
        try {
            for (MultipartUpload u : s3.listMultipartUploadsPaginator(b -> b.bucket(where.bucket())
                    .prefix(where.key("packs/"))).uploads()) {
                if (u.initiated().isBefore(cutoff)) {
                    s3.abortMultipartUpload(b -> b.bucket(where.bucket()).key(u.key()).uploadId(u.uploadId()));
                    removed++;
                }
            }
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot list the unfinished uploads of " + where.url(where.key("packs/")), e);
        }
        return removed;
    }

    // ---- the catalog journal

    @Override
    public void writeJournal(String name, byte[] content) throws IOException {
        PackStore.checkJournalName(name);
        String key = where.key("journal/" + name);
        try {
            sizeOf(key);
            throw new FileAlreadyExistsException(where.url(key));
        } catch (NoSuchFileException absent) {
            // names are unique ids: nobody else writes this one meanwhile
        }
        try {
            s3.putObject(b -> b.bucket(where.bucket()).key(key), RequestBody.fromBytes(content));
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot write " + where.url(key), e);
        }
    }

    @Override
    public List<String> listJournal() throws IOException {
        return objects("journal/").stream().map(o -> o.key().substring(o.key().lastIndexOf('/') + 1)).sorted().toList();
    }

    @Override
    public boolean hasJournal() throws IOException {
        try {
            return s3.listObjectsV2(b -> b.bucket(where.bucket()).prefix(where.key("journal/")).maxKeys(1)).keyCount() > 0;
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot list " + where.url(where.key("journal/")), e);
        }
    }

    @Override
    public byte[] readJournal(String name) throws IOException {
        PackStore.checkJournalName(name);
        String key = where.key("journal/" + name);
        try {
            return s3.getObjectAsBytes(b -> b.bucket(where.bucket()).key(key)).asByteArray();
        } catch (NoSuchKeyException e) {
            throw new NoSuchFileException(where.url(key));
        } catch (SdkClientException e) {
            throw unreachable(e);
        } catch (S3Exception e) {
            throw failure("cannot read " + where.url(key), e);
        }
    }


    /** A failure to reach S3 (network, an interrupted call) as an IOException. */
    private IOException unreachable(SdkClientException e) {
        if (e instanceof AbortedException) {
            java.io.InterruptedIOException interrupted = new java.io.InterruptedIOException("a call to " + where.url(where.prefix())
                    + " was interrupted");
            interrupted.initCause(e);
            return interrupted;
        }
        return new IOException("cannot reach " + where.url(where.prefix()) + ": " + e.getMessage(), e);
    }

    /** An S3 failure as the IOException every PackStore caller handles, with what S3 said. */
    private static IOException failure(String what, S3Exception e) {
        String said = e.awsErrorDetails() == null ? e.getMessage()
                : e.awsErrorDetails().errorCode() + ": " + e.awsErrorDetails().errorMessage();
        return new IOException(what + " (HTTP " + e.statusCode() + ", " + said + ")", e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
