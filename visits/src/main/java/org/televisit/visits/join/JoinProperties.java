package org.televisit.visits.join;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** televisit.join.*: when a patient's join link works and how hard it is to guess or abuse. */
@ConfigurationProperties("televisit.join")
public record JoinProperties(
    @DefaultValue("15m") Duration opensBefore,
    @DefaultValue("30m") Duration closesAfter,
    @DefaultValue("false") boolean birthDateCheck,
    @DefaultValue("5") int maxFailedChecks,
    @DefaultValue("30") int perLinkPerMinute,
    @DefaultValue("120") int perAddressPerMinute) {}
