package org.cloudpatch.core.process;

import java.time.Instant;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.cloudpatch.core.AdvisoryId;
import org.cloudpatch.core.AssetId;
import org.cloudpatch.core.TenantId;
import org.cloudpatch.core.TrackingId;
import org.cloudpatch.core.process.ProcessEvent.ItemRef;
import org.cloudpatch.core.rollout.TimingMode;
import org.cloudpatch.core.severity.Priority;
import org.jspecify.annotations.Nullable;

/**
 * The tracking records of the engine's state, read as immutable {@link TrackingRecord} values but
 * changed in place: an event that changes one item of a 100,000-item record costs one map write,
 * not a copy of the record. A record read after a change is built once and kept until the next
 * change, so a step that walks every record each tick copies each changed record at most once.
 *
 * <p>Reads that need one field or one item ({@link #advisory}, {@link #item}) never build the
 * record: those are the reads made once per item inside a decision.
 */
final class RecordBook extends AbstractMap<TrackingId, TrackingRecord> {

  /** One record: its fields, its items (the truth, changed in place), its last built value. */
  static final class Page {
    /** The record's fields; its own items are empty and never read. */
    ImmutableTrackingRecord fields;

    final Map<AssetId, TrackingItem> items;
    private final Live live;
    private @Nullable TrackingRecord built;

    Page(TrackingRecord record) {
      this.fields =
          (record instanceof ImmutableTrackingRecord r
                  ? r
                  : (ImmutableTrackingRecord) TrackingRecord.builder().from(record).build())
              .withItems(Map.of());
      this.items = new LinkedHashMap<>(record.items());
      this.live = new Live(this);
      this.built = record instanceof ImmutableTrackingRecord ? record : null;
    }

    /** Marks the page changed: the next read builds the record again. */
    void changed() {
      built = null;
    }

    TrackingRecord record() {
      TrackingRecord r = built;
      if (r == null) {
        r = fields.withItems(items);
        built = r;
      }
      return r;
    }
  }

  /**
   * A record read through to its page without being built: for walks inside a decision only. It
   * changes with the page, so it is never kept, returned to host code or put into an event.
   */
  private static final class Live implements TrackingRecord {
    private final Page page;
    private final Map<AssetId, TrackingItem> items;

    Live(Page page) {
      this.page = page;
      this.items = Collections.unmodifiableMap(page.items);
    }

    @Override
    public TrackingId id() {
      return page.fields.id();
    }

    @Override
    public AdvisoryId advisory() {
      return page.fields.advisory();
    }

    @Override
    public TenantId tenant() {
      return page.fields.tenant();
    }

    @Override
    public String resolverGroup() {
      return page.fields.resolverGroup();
    }

    @Override
    public Priority priority() {
      return page.fields.priority();
    }

    @Override
    public Instant due() {
      return page.fields.due();
    }

    @Override
    public TimingMode timingMode() {
      return page.fields.timingMode();
    }

    @Override
    public Instant opened() {
      return page.fields.opened();
    }

    @Override
    public Status status() {
      return page.fields.status();
    }

    @Override
    public Optional<Instant> closed() {
      return page.fields.closed();
    }

    @Override
    public Map<AssetId, TrackingItem> items() {
      return items;
    }

    @Override
    public String toString() {
      return "live " + page.fields.id();
    }
  }

  private final TreeMap<TrackingId, Page> pages = new TreeMap<>();

  /**
   * Every record in id order, read through to its current items without building it: the walk a
   * step makes over all records on each tick. A record seen here is not kept past the decision.
   */
  List<TrackingRecord> live() {
    List<TrackingRecord> out = new ArrayList<>(pages.size());
    pages.values().forEach(p -> out.add(p.live));
    return out;
  }

  @Nullable Page page(TrackingId id) {
    return pages.get(id);
  }

  void add(Page page) {
    pages.put(page.fields.id(), page);
  }

  /** The advisory of a record the engine's bookkeeping named; a miss is an engine bug. */
  AdvisoryId advisory(TrackingId id) {
    return known(id).fields.advisory();
  }

  /** The fields of a record without its items (which are empty in the value returned). */
  TrackingRecord fields(TrackingId id) {
    return known(id).fields;
  }

  /** An item the engine's bookkeeping named; a miss is an engine bug. */
  TrackingItem item(ItemRef ref) {
    return ProcessState.known(known(ref.record()).items, ref.asset());
  }

  /** An item if the record has it. */
  @Nullable TrackingItem itemOrNull(TrackingId id, AssetId asset) {
    Page p = pages.get(id);
    return p == null ? null : p.items.get(asset);
  }

  private Page known(TrackingId id) {
    return ProcessState.known(pages, id);
  }

  @Override
  public @Nullable TrackingRecord get(@Nullable Object key) {
    Page p = key == null ? null : pages.get(key);
    return p == null ? null : p.record();
  }

  @Override
  public boolean containsKey(@Nullable Object key) {
    return key != null && pages.containsKey(key);
  }

  @Override
  public int size() {
    return pages.size();
  }

  @Override
  public Set<TrackingId> keySet() {
    return Collections.unmodifiableSet(pages.keySet());
  }

  @Override
  public Set<Map.Entry<TrackingId, TrackingRecord>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<TrackingId, TrackingRecord>> iterator() {
        Iterator<Map.Entry<TrackingId, Page>> it = pages.entrySet().iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Map.Entry<TrackingId, TrackingRecord> next() {
            Map.Entry<TrackingId, Page> e = it.next();
            return new SimpleImmutableEntry<>(e.getKey(), e.getValue().record());
          }
        };
      }

      @Override
      public int size() {
        return pages.size();
      }
    };
  }
}
