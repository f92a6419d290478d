package org.cloudpatch.audit.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.Random;

/**
 * A {@link FileChannel} over a real one that simulates a crash of the storage stack at its N-th
 * write or force: whatever was written since the last force is then dropped, torn (a prefix of it
 * persists) or garbled (a prefix persists, then zeros or random bytes), and every later call fails
 * as the dead process's would. What was forced stays.
 */
final class FaultyChannel extends FileChannel {
  enum Fault {
    DROP,
    TEAR,
    GARBLE
  }

  private final FileChannel file;
  private final Random random;
  private int callsLeft;
  private long synced;
  private boolean dead;
  private Fault fault = Fault.DROP;

  FaultyChannel(FileChannel file, Random random, int crashAtCall) throws IOException {
    this.file = file;
    this.random = random;
    this.callsLeft = crashAtCall;
    this.synced = file.size();
  }

  boolean crashed() {
    return dead;
  }

  Fault fault() {
    return fault;
  }

  private void maybeCrash() throws IOException {
    if (dead) {
      throw new IOException("simulated crash: the process is gone");
    }
    if (--callsLeft > 0) {
      return;
    }
    dead = true;
    long end = file.size();
    long unsynced = end - synced;
    fault = Fault.values()[random.nextInt(3)];
    long keep = unsynced <= 0 ? 0 : (long) (random.nextDouble() * unsynced);
    switch (fault) {
      case DROP -> file.truncate(synced);
      case TEAR -> file.truncate(synced + keep);
      case GARBLE -> {
        file.truncate(synced + keep);
        byte[] garbage = new byte[1 + random.nextInt(600)];
        if (random.nextBoolean()) {
          random.nextBytes(garbage);
        } // else zeros, as an unwritten block reads back
        file.write(ByteBuffer.wrap(garbage), synced + keep);
      }
    }
    file.force(true);
    throw new IOException("simulated crash (" + fault + ")");
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    maybeCrash();
    return file.write(src, position);
  }

  @Override
  public void force(boolean metaData) throws IOException {
    maybeCrash();
    file.force(metaData);
    synced = file.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    if (dead) {
      throw new IOException("simulated crash: the process is gone");
    }
    file.truncate(size);
    synced = Math.min(synced, size);
    return this;
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    return file.read(dst, position);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return file.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    return file.read(dsts, offset, length);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    maybeCrash();
    return file.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    maybeCrash();
    return file.write(srcs, offset, length);
  }

  @Override
  public long position() throws IOException {
    return file.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    file.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return file.size();
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return file.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    maybeCrash();
    return file.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return file.map(mode, position, size);
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return file.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return file.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    file.close();
  }
}
