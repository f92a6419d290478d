/**
 * Compliance reports: {@link org.cloudpatch.audit.report.ComplianceReports} turns facts a host
 * gathers from the engine's public views ({@link org.cloudpatch.audit.report.ComplianceInput}) into
 * one {@link org.cloudpatch.audit.report.ComplianceReport} per fleet or per tenant, and renders it
 * as JSON, CSV, OSCAL assessment results and POA&amp;M, and a self-contained HTML page. Everything
 * here is a pure function of its input.
 */
@ValueStyle
@NullMarked
package org.cloudpatch.audit.report;

import org.cloudpatch.core.ValueStyle;
import org.jspecify.annotations.NullMarked;
