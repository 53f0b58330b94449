package dev.ferry.s3;

import dev.ferry.core.error.FerryException;
import java.net.URI;

/** Where a store lives in S3: {@code s3://bucket/prefix}, the prefix optional. */
record S3Location(String bucket, String prefix) {
    static S3Location of(URI url) {
        String bucket = url.getHost() != null ? url.getHost() : url.getAuthority();
        if (!"s3".equals(url.getScheme()) || bucket == null || bucket.isBlank()) {
            throw FerryException.invalid("not an S3 store URL: " + url, "write s3://bucket or s3://bucket/prefix");
        }
        String path = url.getPath() == null ? "" : url.getPath().replaceAll("^/+|/+$", "");
        return new S3Location(bucket, path);
    }

    /** The object key of a path inside the store. */
    String key(String inStore) {
        return prefix.isEmpty() ? inStore : prefix + "/" + inStore;
    }

    /** An object's URL, for messages. */
    String url(String key) {
        return "s3://" + bucket + "/" + key;
    }
}
