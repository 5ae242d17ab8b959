/** Failed-login throttling per client address and per user name. */
package dev.akua.registry.auth.throttle;
