package org.televisit.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/**
 * Every ERROR (or, from {@link #open(Level)}, every line at that level and above) the server logs
 * while it is open.
 */
public final class ErrorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private final Level threshold;

  private ErrorLog(Level threshold) {
    this.threshold = threshold;
  }

  public static ErrorLog open() {
    return open(Level.ERROR);
  }

  public static ErrorLog open(Level threshold) {
    ErrorLog log = new ErrorLog(threshold);
    log.setContext(log.root.getLoggerContext());
    log.start();
    log.root.addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(threshold)) {
      lines.add(
          event.getLoggerName()
              + ": "
              + event.getFormattedMessage()
              + (event.getThrowableProxy() == null
                  ? ""
                  : " ("
                      + event.getThrowableProxy().getClassName()
                      + ": "
                      + event.getThrowableProxy().getMessage()
                      + ")"));
    }
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  @Override
  public void close() {
    root.detachAppender(this);
    stop();
  }
}
