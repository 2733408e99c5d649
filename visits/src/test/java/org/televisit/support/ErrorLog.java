package org.televisit.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.LoggerFactory;

/** Every ERROR the server logs while it is open, for tests that fail on any of them. */
public final class ErrorLog extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final List<String> lines = new CopyOnWriteArrayList<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  private ErrorLog() {}

  public static ErrorLog open() {
    ErrorLog log = new ErrorLog();
    log.setContext(log.root.getLoggerContext());
    log.start();
    log.root.addAppender(log);
    return log;
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (event.getLevel().isGreaterOrEqual(Level.ERROR)) {
      lines.add(event.getLoggerName() + ": " + event.getFormattedMessage()
          + (event.getThrowableProxy() == null ? "" : " (" + event.getThrowableProxy().getClassName() + ": "
              + event.getThrowableProxy().getMessage() + ")"));
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
