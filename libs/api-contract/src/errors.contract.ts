/** Every error response of the API has this shape; 5xx messages are masked. */
export interface ApiErrorBody {
  error: {
    code: string;
    message: string;
    /** Present on validation errors: the path of the bad field, e.g. `metrics[1]` or `date_range`. */
    field?: string;
  };
}
