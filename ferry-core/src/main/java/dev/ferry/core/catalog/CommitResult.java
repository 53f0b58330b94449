package dev.ferry.core.catalog;

import dev.ferry.core.model.Bundle;
import dev.ferry.core.model.LabelMove;
import java.util.List;

/** The bundle a commit produced or found, and the labels it moved. */
public record CommitResult(Bundle bundle, boolean created, List<LabelMove> moves) {}
