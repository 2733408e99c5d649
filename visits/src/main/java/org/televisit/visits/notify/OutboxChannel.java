package org.televisit.visits.notify;

/**
 * A way out of the outbox besides e-mail (the EHR write-back, say): a message of this channel is
 * handed to {@link #deliver}; an exception leaves it for a later try with back-off, a return marks
 * it sent. Delivery must be idempotent: after a crash mid-send the message is delivered again.
 */
public interface OutboxChannel {

  String name();

  void deliver(Outbox.Message message) throws Exception;
}
