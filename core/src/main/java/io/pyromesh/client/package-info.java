/** The client side: {@link io.pyromesh.client.Proxy}, typed proxies, batches and streamed results. */
package io.pyromesh.client;
