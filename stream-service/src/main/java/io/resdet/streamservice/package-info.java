/** Vert.x + Kafka streaming detection service. */
package io.resdet.streamservice;
